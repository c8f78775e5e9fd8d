using System.Linq;
using System.Text;
using AvantiPS.Http;
using Xunit;

namespace AvantiPS.Tests
{
    public class ProblemDetailsTests
    {
        [Fact]
        public void Validation_problems_list_every_field_error_in_the_message()
        {
            byte[] body = Encoding.UTF8.GetBytes("{\"title\":\"One or more validation errors occurred.\",\"status\":400,\"traceId\":\"00-abc\",\"errors\":{\"Email\":[\"invalid_email\"],\"\":[\"Valid Report ID is required.\"]}}");
            ProblemDetails problem = ProblemDetails.TryParse(body);
            Assert.Equal(400, problem.Status);
            Assert.Equal(new[] { "Email: invalid_email", "Valid Report ID is required." }, problem.FieldErrors().ToArray());
            var error = new AvantiApiException("PUT", "/v1/PersonalInfo", 400, "Bad Request", problem, null);
            Assert.Contains("400", error.Message);
            Assert.Contains("One or more validation errors occurred", error.Message);
            Assert.Contains("Email: invalid_email", error.Message);
            Assert.Contains("PUT /v1/PersonalInfo", error.Message);
            Assert.Equal("00-abc", error.TraceId);
            Assert.Contains("Valid Report ID is required. (trace ID", error.Message);
            Assert.DoesNotContain("..", error.Message);
        }

        [Theory]
        [InlineData("{\"error\":\"invalid_grant\"}")]
        [InlineData("<html>Bad gateway</html>")]
        [InlineData("")]
        public void Other_bodies_are_not_problem_details(string text)
        {
            Assert.Null(ProblemDetails.TryParse(Encoding.UTF8.GetBytes(text)));
        }

        [Fact]
        public void Unauthorized_is_problem_details()
        {
            ProblemDetails problem = ProblemDetails.TryParse(Encoding.UTF8.GetBytes("{\"title\":\"Unauthorized\",\"status\":401}"));
            Assert.Equal("Unauthorized", problem.Title);
            Assert.Equal(401, problem.Status);
        }
    }
}
